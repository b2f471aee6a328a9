import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('root')!;
// The page's "Loading…" placeholder goes: render() adds to what a container holds.
root.textContent = '';
render(<App />, root);
