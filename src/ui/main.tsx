import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PlaygroundProvider } from './Playground';
import { decodeShare, hasShare, type DecodeResult } from './share';
import type { Scenario } from '../worker/protocol';
import './styles.css';

const params = new URLSearchParams(location.search);
const speed = Number(params.get('speed') ?? '1');

/** Mount the playground; a share link (`#share=…`) decides scenario and seed, and opens paused. */
function mount(share: DecodeResult | undefined) {
  const shared = share?.ok ? share.payload : undefined;
  const scenario = shared?.scenario ?? ((['default', 'empty', 'storm'].includes(params.get('scenario') ?? '') ? params.get('scenario') : 'default') as Scenario);
  const seed = shared?.seed ?? (Number(params.get('seed') ?? '1') || 1);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <PlaygroundProvider scenario={scenario} seed={seed} paused={!!shared || params.get('paused') === '1'} speed={[1, 10, 60].includes(speed) ? speed : 1}>
        <App scenario={scenario} seed={seed} minimal={params.get('embed') === '1'} share={share} />
      </PlaygroundProvider>
    </StrictMode>,
  );
}

if (hasShare(location.hash)) {
  // decodeShare never rejects; the catch is for a browser without DecompressionStream.
  decodeShare(location.hash)
    .catch((e: Error): DecodeResult => ({ ok: false, error: `This browser cannot open share links (${e.message}).` }))
    .then(mount);
} else mount(undefined);

// Pasting another share link into the address bar only changes the fragment: open it afresh.
window.addEventListener('hashchange', () => {
  if (hasShare(location.hash)) location.reload();
});
