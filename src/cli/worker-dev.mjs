// Worker threads do not inherit tsx's loader: when the CLI runs from source (tests, `tsx
// src/cli.ts`), register it here and then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
