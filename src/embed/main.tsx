import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<h1>Pod Playground (embed)</h1>);
