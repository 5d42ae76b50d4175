// The page's entry: the app shell only. Monaco arrives later, in its own chunk.
import './bp-app.ts';
