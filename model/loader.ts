// The model loader's entry points; the loader itself is model/load/ (one concern per file).
export { loadSpec, tryLoadSpec, type LoadOptions } from './load/index.ts';
