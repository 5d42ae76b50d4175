// The page's entry: the app shell only. Monaco arrives later, in its own chunk.
import { signIn } from './api.ts';
import './bp-app.ts';

// As Jupyter's page does: the address the server printed carries its token; trade it for the
// session cookie and drop it from the address bar (and so from history and bookmarks). This runs
// before the app's first request, which Lit starts from a later microtask and which waits for it.
const address = new URL(location.href);
const token = address.searchParams.get('token');
if (token !== null) {
  signIn(token);
  address.searchParams.delete('token');
  history.replaceState(history.state, '', address);
}
