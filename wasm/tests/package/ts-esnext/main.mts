// Type-checked with lib esnext: the package's own SymbolConstructor.dispose declaration
// must not clash with TypeScript's, and `using` frees the scanner at the end of the block.
import { Scanner } from 'careguard-wasm';

export function count(text: string): number {
  using scanner = new Scanner();
  return scanner.scan(text).length;
}
