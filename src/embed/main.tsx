import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseEmbedConfig } from './config';
import { EmbedApp } from './EmbedApp';
import './embed.css';

const config = parseEmbedConfig(location.search || location.hash);
// embed.html sets the theme before first paint; keep it in sync if 'auto' was resolved there.
if (config.theme !== 'auto') document.documentElement.dataset.theme = config.theme;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EmbedApp config={config} />
  </StrictMode>,
);
