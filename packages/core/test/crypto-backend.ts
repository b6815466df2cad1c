/** The two cookie-codec backends, by the name the tests print. */
export type CryptoBackendName = 'node:crypto' | 'Web Crypto';

/** Both backends: every test parameterised by it runs on each. */
export const CRYPTO_BACKENDS: readonly CryptoBackendName[] = ['node:crypto', 'Web Crypto'];

/**
 * Hides `process.getBuiltinModule`, as on workerd or in a browser, so that managers created until
 * the returned function runs pick Web Crypto. Returns the function that puts it back.
 */
export function hideBuiltinModules(): () => void {
  const host = process as unknown as Record<string, unknown>;
  const own = Object.getOwnPropertyDescriptor(host, 'getBuiltinModule');
  Object.defineProperty(host, 'getBuiltinModule', { value: undefined, configurable: true, writable: true });
  return () => {
    if (own) Object.defineProperty(host, 'getBuiltinModule', own);
    else delete host['getBuiltinModule'];
  };
}

/** Makes the managers created in each test of the enclosing block use `backend`. */
export function useCryptoBackend(backend: CryptoBackendName): void {
  let restore: (() => void) | undefined;
  beforeEach(() => {
    if (backend === 'Web Crypto') restore = hideBuiltinModules();
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
}
