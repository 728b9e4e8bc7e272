import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PlaygroundProvider } from './Playground';
import type { Scenario } from '../worker/protocol';
import './styles.css';

const params = new URLSearchParams(location.search);
const scenario = (['default', 'empty', 'storm'].includes(params.get('scenario') ?? '') ? params.get('scenario') : 'default') as Scenario;
const speed = Number(params.get('speed') ?? '1');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PlaygroundProvider scenario={scenario} seed={Number(params.get('seed') ?? '1') || 1} paused={params.get('paused') === '1'} speed={[1, 10, 60].includes(speed) ? speed : 1}>
      <App scenario={scenario} minimal={params.get('embed') === '1'} />
    </PlaygroundProvider>
  </StrictMode>,
);
