// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyPage } from './lazy-page';

afterEach(cleanup);

function Counter({ label }: { label: string }) {
  const [n, setN] = useState(0);
  return (
    <button type="button" onClick={() => setN(n + 1)}>
      {label} {n}
    </button>
  );
}

const deferred = () => {
  let resolve!: (m: { default: typeof Counter }) => void;
  const promise = new Promise<{ default: typeof Counter }>((r) => (resolve = r));
  return { promise, resolve };
};

describe('lazyPage', () => {
  it('suspends until its chunk arrives when nothing prefetched it', async () => {
    const chunk = deferred();
    const Page = lazyPage(() => chunk.promise);
    render(
      <Suspense fallback={<p>载入中</p>}>
        <Page label="页" />
      </Suspense>,
    );
    expect(screen.getByText('载入中')).toBeTruthy();
    await act(async () => chunk.resolve({ default: Counter }));
    expect(await screen.findByText('页 0')).toBeTruthy();
  });

  it('renders a prefetched page in the first commit, with no fallback, and loads the chunk once', async () => {
    let loads = 0;
    const Page = lazyPage(async () => {
      loads++;
      return { default: Counter };
    });
    await Page.prefetch();
    await Page.prefetch();
    render(
      <Suspense fallback={<p>载入中</p>}>
        <Page label="页" />
      </Suspense>,
    );
    // Synchronously after render: no suspension happened.
    expect(screen.queryByText('载入中')).toBeNull();
    expect(screen.getByText('页 0')).toBeTruthy();
    expect(loads).toBe(1);
  });

  it('keeps a page mounted through Lazy when the chunk arrives: its state survives re-renders', async () => {
    const chunk = deferred();
    const Page = lazyPage(() => chunk.promise);
    function Parent() {
      const [tick, setTick] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setTick(tick + 1)}>
            重绘 {tick}
          </button>
          <Suspense fallback={<p>载入中</p>}>
            <Page label="页" />
          </Suspense>
        </>
      );
    }
    render(<Parent />);
    await act(async () => chunk.resolve({ default: Counter }));
    const page = await screen.findByText('页 0');
    act(() => page.click());
    expect(screen.getByText('页 1')).toBeTruthy();
    // The parent re-renders after the chunk is known: the page is not swapped for a fresh one.
    act(() => screen.getByText('重绘 0').click());
    expect(screen.getByText('页 1')).toBeTruthy();
  });
});
