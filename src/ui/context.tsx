/**
 * React glue for one playground: its store and its engine client, provided by context so that a
 * page (or the embed, or a test) can hold several playgrounds without shared globals.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { InspectMessage, ResultMessage } from '../worker/protocol';
import type { Command } from '../worker/client';
import type { PlaygroundState, PlaygroundStore } from './store';

/** What the UI can ask of the engine. Every cluster change goes through a console line. */
export interface PlaygroundActions {
  /** Run a `kubectl …` / `sim …` line (it lands in the command log and the console history). */
  exec(line: string, stdin?: string): Promise<{ output: string; exitCode: number }>;
  /** Apply a manifest; `errors` carry the 1-based line of each problem. */
  apply(text: string): Promise<{ output: string; exitCode: number; errors: { line: number; message: string }[] }>;
  inspect(kind: string, namespace: string | undefined, name: string): Promise<InspectMessage>;
  /** Time controls and resets. */
  send(cmd: Command): Promise<ResultMessage>;
}

export interface PlaygroundHandle {
  store: PlaygroundStore;
  actions: PlaygroundActions;
}

export const PlaygroundContext = createContext<PlaygroundHandle | null>(null);

function useHandle(): PlaygroundHandle {
  const h = useContext(PlaygroundContext);
  if (!h) throw new Error('usePlayground must be used inside <PlaygroundProvider>');
  return h;
}

/** Select one value from this playground's store. */
export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(useHandle().store, selector);
}

export function useActions(): PlaygroundActions {
  return useHandle().actions;
}

export function usePlaygroundStore(): PlaygroundStore {
  return useHandle().store;
}
