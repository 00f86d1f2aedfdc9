/**
 * A label whose values a client chooses (an operation name): kept to a safe pattern and to at most
 * `max` distinct values, after which every new value is counted under `overflow`. Prometheus keeps
 * one series per label value; an unbounded label lets any client grow the operator's database.
 * A value already seen is answered from a map, without allocating.
 */
export class BoundedLabel {
  /** Raw value → label, for every raw value admitted. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly options: {
      /** Distinct raw values admitted (default 200); later new ones are `overflow`. */
      max?: number;
      /** What a label value must look like (default: a GraphQL name of at most 100 characters). */
      pattern?: RegExp;
      /** The label of a value refused (default `other`). */
      overflow?: string;
      /** The label of a missing value, e.g. an anonymous operation (default `anonymous`). */
      missing?: string;
      /** Applied once to a new raw value before it is checked (e.g. a query plan's suffix removed). */
      normalize?: (raw: string) => string;
    } = {},
  ) {}

  value(raw: string | null | undefined): string {
    if (raw === null || raw === undefined || raw === '') return this.options.missing ?? 'anonymous';
    const known = this.seen.get(raw);
    if (known !== undefined) return known;
    const overflow = this.options.overflow ?? 'other';
    if (this.seen.size >= (this.options.max ?? 200)) return overflow;
    const value = this.options.normalize ? this.options.normalize(raw) : raw;
    const label = (this.options.pattern ?? /^[A-Za-z_][A-Za-z0-9_]{0,99}$/).test(value) ? value : overflow;
    this.seen.set(raw, label);
    return label;
  }

  /** Distinct raw values admitted so far. */
  get size(): number {
    return this.seen.size;
  }
}
