// biome-ignore-all lint/suspicious/noExplicitAny: `(this: any, ...args: any[]) => any` is the constraint that admits every method (unknown parameters would reject specific ones).
/**
 * `@traced(kind)`: one method decorator for both decorator proposals. TypeScript 5's standard (TC39)
 * decorators call it with `(method, context)`; `experimentalDecorators: true` (NestJS, TypeORM, Angular setups)
 * calls it with `(prototype or class, name, descriptor)`. It tells them apart by its arguments.
 */
import type { SpanKindInput } from "./kinds.js";
import { swallowed } from "./swallowed.js";
import { withSpan, type TraceOptions } from "./trace.js";

type AnyMethod = (this: any, ...args: any[]) => any;

/** The decorator `traced(kind)` returns: callable as a TC39 method decorator and as a legacy one. */
export interface TracedDecorator {
  /** TC39 (TypeScript 5 standard) decorators. */
  <This, Args extends any[], Return>(
    target: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  /** `experimentalDecorators: true`. */
  <T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T> | void;
}

/** Options of `@traced`: those of the wrappers, except the ones typed from one function. */
export type TracedOptions = Omit<TraceOptions<AnyMethod>, "name" | "processInput" | "processOutput"> & {
  /** Span name. Default `Class.method`. */
  readonly name?: string;
  readonly processInput?: (...args: any[]) => ReturnType<NonNullable<TraceOptions<AnyMethod>["processInput"]>>;
  readonly processOutput?: (
    output: any,
    span: any,
  ) => ReturnType<NonNullable<TraceOptions<AnyMethod>["processOutput"]>>;
};

/**
 * Traces a method as a span of `kind` (`@traced("TOOL")`), under either decorator proposal. The span is named
 * `Class.method` unless `options.name` is given; `this` is the instance, as without the decorator.
 */
export function traced<K extends SpanKindInput>(kind: K, options?: TracedOptions): TracedDecorator {
  return function decorate(target: unknown, context: unknown, descriptor?: unknown): any {
    if (isTc39Context(context)) return decorateTc39(kind, options, target as AnyMethod, context);
    return decorateLegacy(kind, options, target, context, descriptor);
  } as TracedDecorator;
}

function isTc39Context(context: unknown): context is ClassMethodDecoratorContext {
  try {
    return typeof context === "object" && context !== null && typeof (context as { kind?: unknown }).kind === "string";
  } catch (error) {
    swallowed(
      "@traced could not read its decorator context (a hostile object?), so it was applied as an experimentalDecorators decorator",
      error,
    );
    return false;
  }
}

function decorateTc39(
  kind: SpanKindInput,
  options: TracedOptions | undefined,
  target: AnyMethod,
  ctx: ClassMethodDecoratorContext,
): AnyMethod {
  const method = methodName(() => ctx.name);
  let name = nameOption(options);
  let wrapped: AnyMethod | undefined;
  try {
    ctx.addInitializer(function (this: unknown) {
      if (name !== undefined) return;
      try {
        const ctor = ctx.static
          ? (this as { name?: string })
          : (this as { constructor?: { name?: string } }).constructor;
        const cls = ctor?.name;
        name = cls ? `${cls}.${method}` : method;
      } catch (error) {
        swallowed(
          "@traced could not read the class name of the instance (a throwing getter?), so the span is named after the method alone",
          error,
        );
        name = method;
      }
    });
  } catch (error) {
    swallowed("@traced could not register its initializer, so the span is named after the method alone", error);
  }
  return function (this: unknown, ...args: unknown[]): unknown {
    wrapped ??= withSpan(kind, target, withName(options, name ?? method) as TraceOptions<AnyMethod>);
    return wrapped.apply(this, args);
  };
}

/** `experimentalDecorators`: replaces the descriptor's method; the class is known now, so is the span name. */
function decorateLegacy(
  kind: SpanKindInput,
  options: TracedOptions | undefined,
  target: unknown,
  key: unknown,
  descriptor: unknown,
): unknown {
  try {
    const original = (descriptor as PropertyDescriptor | undefined)?.value;
    if (typeof original !== "function") {
      swallowed(
        "@traced was applied to something that is not a method (an accessor or a field?), so it was left untraced",
      );
      return descriptor;
    }
    const method = methodName(() => key);
    let cls: unknown;
    try {
      cls =
        typeof target === "function"
          ? (target as { name?: unknown }).name
          : (target as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    } catch (error) {
      swallowed(
        "@traced could not read the class name (a throwing getter?), so the span is named after the method alone",
        error,
      );
      cls = undefined;
    }
    const name = nameOption(options) ?? (typeof cls === "string" && cls !== "" ? `${cls}.${method}` : method);
    (descriptor as PropertyDescriptor).value = withSpan(
      kind,
      original as AnyMethod,
      withName(options, name) as TraceOptions<AnyMethod>,
    );
  } catch (error) {
    swallowed("@traced could not replace the method (a frozen descriptor?), so it was left untraced", error);
  }
  return descriptor;
}

function methodName(read: () => unknown): string {
  try {
    const name = read();
    return typeof name === "string" ? name : typeof name === "symbol" ? String(name) : "method";
  } catch (error) {
    swallowed('@traced could not read the method\'s name, so the span is named "method" (pass the name option)', error);
    return "method";
  }
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
    if (options !== undefined)
      swallowed("@traced options that are not an object were given, so the method is traced with the default options");
    return { name };
  }
  try {
    return { ...options, name };
  } catch (error) {
    swallowed("@traced options could not be copied, so the method is traced with the default options", error);
    return { name };
  }
}
