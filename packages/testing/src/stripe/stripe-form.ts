/** Parameters as Stripe's v1 API reads them: nested objects and arrays of strings. */
export type StripeParams = { [name: string]: StripeParamValue };

/** One parameter's value: a string, or the nested object or array that bracket keys build. */
export type StripeParamValue = string | StripeParams | StripeParamValue[];

const SEGMENT = /\[([^\]]*)\]/g;

/**
 * Parses an `application/x-www-form-urlencoded` body or a query string the way Stripe's v1 API reads
 * what stripe-node sends: `metadata[order]=42` becomes `{ metadata: { order: '42' } }` and
 * `expand[0]=customer` becomes `{ expand: ['customer'] }`. Every leaf stays a string (the API, not
 * the encoding, decides what a parameter's type is); an empty value stays `''`, which Stripe reads as
 * "unset". A later key that clashes with an earlier one replaces it.
 */
export function parseStripeForm(text: string): StripeParams {
  const root: StripeParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key);
    if (path.length > 0) assign(root, path, value);
  }
  return root;
}

/** `a[b][0]` → `['a', 'b', '0']`; a key whose brackets are malformed is read as a flat name. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open < 0) return key === '' ? [] : [key];
  const head = key.slice(0, open);
  const rest = key.slice(open);
  const segments: string[] = [];
  let consumed = 0;
  for (const match of rest.matchAll(SEGMENT)) {
    if (match.index !== consumed) return [key];
    segments.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  if (consumed !== rest.length || head === '') return [key];
  return [head, ...segments];
}

function assign(root: StripeParams, path: readonly string[], value: string): void {
  let container: StripeParams | StripeParamValue[] = root;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    const last = index === path.length - 1;
    const nextIsIndex = !last && isIndex(path[index + 1]!);
    if (Array.isArray(container)) {
      const position = segment === '' ? container.length : Number(segment);
      // A name where an index belongs (`a[0]=x&a[b]=y`): Stripe rejects it; the fake drops it.
      if (!Number.isInteger(position)) return;
      if (last) {
        container[position] = value;
        return;
      }
      container = childOf(container, position, nextIsIndex);
    } else {
      if (last) {
        container[segment] = value;
        return;
      }
      container = childOf(container, segment, nextIsIndex);
    }
  }
}

/** The object or array under `key`, created (or replacing a clashing string) when needed. */
function childOf(
  container: StripeParams | StripeParamValue[],
  key: string | number,
  wantArray: boolean,
): StripeParams | StripeParamValue[] {
  const record = container as Record<string | number, StripeParamValue | undefined>;
  const existing = record[key];
  if (Array.isArray(existing) || (typeof existing === 'object' && existing !== undefined)) return existing;
  const created: StripeParams | StripeParamValue[] = wantArray ? [] : {};
  record[key] = created;
  return created;
}

function isIndex(segment: string): boolean {
  return segment === '' || /^\d+$/.test(segment);
}
