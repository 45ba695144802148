// Type-checked with a tsconfig that sets nothing but strict and the files: the
// defaults of `lib` (no esnext.disposable) must not break the package's types.
import init, { Scanner } from 'careguard-wasm';

export async function start(): Promise<number> {
  await init();
  return new Scanner().scan('NHS 943 476 5919').length;
}
