import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export type LazyPage<P> = LazyExoticComponent<ComponentType<P>> & {
  /** Starts loading the chunk now (idempotent); rendering later then does not suspend for long. */
  prefetch: () => Promise<unknown>;
};

/**
 * React.lazy with a prefetch handle: one import promise shared by the component and prefetch,
 * so a chunk fetched in the background is the one rendered.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the props of whatever page is loaded
export function lazyPage<P = any>(load: () => Promise<{ default: ComponentType<P> }>): LazyPage<P> {
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const once = () => (loading ??= load());
  const page = lazy(once) as LazyPage<P>;
  page.prefetch = once;
  return page;
}
