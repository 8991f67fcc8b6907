/** TC39 (TypeScript 5) method decorators; no `experimentalDecorators` needed. */
import type { SpanKindInput } from "./kinds.js";
import { swallowed } from "./swallowed.js";
import { withSpan, type TraceOptions } from "./trace.js";

/**
 * Traces a method as a span of `kind` (`@traced("TOOL")`). The span is named `Class.method` unless
 * `options.name` is given; `this` is the instance, as without the decorator.
 */
export function traced<K extends SpanKindInput>(kind: K, options?: Omit<TraceOptions<(...args: any[]) => any>, "name"> & { readonly name?: string }) {
  return function <This, Args extends any[], Return>(
    target: (this: This, ...args: Args) => Return,
    ctx: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return {
    const method = typeof ctx.name === "string" || typeof ctx.name === "symbol" ? String(ctx.name) : "method";
    let name = nameOption(options);
    let wrapped: ((this: This, ...args: Args) => Return) | undefined;
    ctx.addInitializer(function (this: This) {
      if (name !== undefined) return;
      try {
        const ctor = ctx.static ? (this as { name?: string }) : (this as { constructor?: { name?: string } }).constructor;
        const cls = ctor?.name;
        name = cls ? `${cls}.${method}` : method;
      } catch {
        name = method;
      }
    });
    return function (this: This, ...args: Args): Return {
      wrapped ??= withSpan(kind, target, withName(options, name ?? method) as TraceOptions<typeof target>);
      return wrapped.apply(this, args);
    };
  };
}

function nameOption(options: { readonly name?: unknown } | undefined): string | undefined {
  try {
    const name = options?.name;
    return typeof name === "string" ? name : undefined;
  } catch (error) {
    swallowed("@traced options could not be read, so the span is named after the method", error);
    return undefined;
  }
}

/** The decorator's options with the span name: a copy, so that `options` itself is never changed. */
function withName(options: object | undefined, name: string): object {
  if (typeof options !== "object" || options === null) {
    if (options !== undefined) swallowed("@traced options that are not an object were given, so the method is traced with the default options");
    return { name };
  }
  try {
    return { ...options, name };
  } catch (error) {
    swallowed("@traced options could not be copied, so the method is traced with the default options", error);
    return { name };
  }
}
