import { createElement, lazy, useState, type ComponentType, type FunctionComponent } from 'react';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the props of whatever page is loaded
type PageModule = { default: ComponentType<any> };
type PropsOf<M extends PageModule> = M['default'] extends ComponentType<infer P> ? P : never;

export type LazyPage<M extends PageModule> = FunctionComponent<PropsOf<M>> & {
  /** Starts loading the chunk now (idempotent) and answers the module. */
  prefetch: () => Promise<M>;
};

/**
 * A page in its own chunk, with a prefetch handle. Once the chunk has loaded, the page renders
 * directly instead of through React.lazy: a lazy component suspends at least once even when its
 * promise has long resolved, and React holds back revealing a suspended boundary for up to
 * 300 ms — the prefetch would be wasted. Which way a mounted page renders is fixed at mount, so
 * the page never remounts (and loses its state) when the chunk arrives.
 */
export function lazyPage<M extends PageModule>(load: () => Promise<M>): LazyPage<M> {
  let loaded: M['default'] | undefined;
  let loading: Promise<M> | undefined;
  const prefetch = () =>
    (loading ??= load().then((m) => {
      loaded = m.default;
      return m;
    }));
  const Lazy = lazy(prefetch);
  const Page = (props: PropsOf<M>) => {
    const [direct] = useState(() => loaded);
    return createElement(direct ?? Lazy, props as Parameters<typeof createElement>[1]);
  };
  return Object.assign(Page, { prefetch });
}
