// Express 4, installed under an alias to test the adapter against both majors; typed with
// Express 5's types, which cover the API the tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
