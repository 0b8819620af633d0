import schema from '../../schema/policies.schema.json' with { type: 'json' };

/** The JSON Schema shipped at `rlsgen/schema/policies.schema.json`, used to check a manifest's shape. */
export const manifestSchema: Readonly<Record<string, unknown>> = schema;
