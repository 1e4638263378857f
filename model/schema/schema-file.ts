// Where the model's generated JSON Schema lives, and its id.
import { join } from 'node:path';

/** Repository-relative path of the committed schema (`npm run schema` writes it). */
export const SCHEMA_FILE = 'model/schema/model.schema.json';
export const SCHEMA_PATH = join(import.meta.dirname, 'model.schema.json');
export const SCHEMA_ID = 'https://gamemetrics.dev/schemas/model.schema.json';
