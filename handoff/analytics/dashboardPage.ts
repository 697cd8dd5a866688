import { agentConsoleCsp } from '../console/consolePage';

/** The analytics dashboard at `/dashboard`, as built by scripts/buildWeb.mjs; bot/ serves it. */
export const dashboardPage = Object.freeze({
  route: '/dashboard',
  file: 'dashboard.html',
  assetRoute: '/dashboard/assets',
  assets: Object.freeze({
    'dashboard.js': 'application/javascript; charset=utf-8',
    'dashboard.css': 'text/css; charset=utf-8',
  }),
  // Same policy as the console: only our bundle, only this origin, never framed.
  csp: agentConsoleCsp,
  frameable: false,
  assetCaching: 'no-cache',
});
