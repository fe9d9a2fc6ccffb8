import { render } from 'preact';
import { App } from './app/app';
import './app/styles.css';

render(<App />, document.getElementById('app') as HTMLElement);
