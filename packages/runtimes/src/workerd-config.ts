/** Options of {@link workerdConfig}. */
export interface WorkerdConfigOptions {
  /** File name of the ES module worker, relative to the config file. */
  readonly moduleFile: string;
  /** The address workerd listens on, e.g. `127.0.0.1:8787`. */
  readonly address: string;
  /** The `compatibilityDate` of the worker. */
  readonly compatibilityDate: string;
  /** Text bindings handed to the worker as `env.<name>`. */
  readonly textBindings: Readonly<Record<string, string>>;
}

/**
 * A workerd `config.capnp` serving one ES module worker over HTTP: what wrangler would generate,
 * without wrangler (which needs Node 22). No compatibility flags at all, `nodejs_compat` in
 * particular: the worker gets Web APIs only, which is the point of the runtime test.
 *
 * @example
 * ```ts
 * await writeFile('config.capnp', workerdConfig({
 *   moduleFile: 'worker.mjs', address: '127.0.0.1:8787', compatibilityDate: '2026-11-17',
 *   textBindings: { SESSION_KEY: key },
 * }))
 * // then: workerd serve config.capnp
 * ```
 */
export function workerdConfig(options: WorkerdConfigOptions): string {
  const bindings = Object.entries(options.textBindings)
    .map(([name, text]) => `(name = ${capnpText(name)}, text = ${capnpText(text)})`)
    .join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = ${capnpText(options.address)}, http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed ${capnpText(options.moduleFile)})],
  compatibilityDate = ${capnpText(options.compatibilityDate)},
  bindings = [${bindings}],
);
`;
}

// A Cap'n Proto text literal. Its escapes are C's; JSON's quoting is a subset of them for the
// printable ASCII we accept, so anything else is refused rather than mis-quoted.
function capnpText(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`workerdConfig: only printable ASCII is supported, got ${JSON.stringify(value)}`);
  return JSON.stringify(value);
}
