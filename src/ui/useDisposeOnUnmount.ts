import { useEffect, useRef } from 'react';

/**
 * Run `dispose` when the component really unmounts (e.g. stop its engine worker).
 * Why deferred: React's StrictMode (dev) unmounts and remounts every component at once; disposing
 * right away would leave the remounted component with a dead worker.
 */
export function useDisposeOnUnmount(dispose: () => void): void {
  const mounts = useRef(0);
  const latest = useRef(dispose);
  useEffect(() => {
    latest.current = dispose;
  });
  useEffect(() => {
    const counter = mounts; // the ref object itself, not a DOM node: it is meant to change
    counter.current++;
    return () => {
      counter.current--;
      setTimeout(() => {
        if (counter.current === 0) latest.current();
      }, 0);
    };
  }, []);
}
