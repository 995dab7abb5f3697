/**
 * Ajv's (and Fastify's) own phrases for schema violations. The API answers in its own words
 * (http/validation.ts); tests check that none of these reach a client.
 */
export const VALIDATOR_WORDING: readonly RegExp[] = [
  /\bmust be (object|string|number|integer|boolean|array|null)\b/,
  /\bmust NOT\b/,
  /\bmust match\b/,
  /\bmust have required property\b/,
  /\bmust be equal to\b/,
  /\bmust be [<>]=?/,
  /\bmust pass\b/,
  /\bproperty name must be valid\b/,
  /\b(anyOf|oneOf|allOf|propertyNames|additionalProperties|minProperties|maxProperties|minLength|maxLength|schema)\b/,
  /\b(body|querystring|params)\//,
];

/** The phrases no client-chosen text can plausibly contain, for tests that echo random input. */
export const VALIDATOR_PHRASES: readonly RegExp[] = VALIDATOR_WORDING.slice(0, 8);
