/**
 * Decides what to show: the first-run screen while no user exists, sign-in while nobody
 * is signed in, otherwise the page for the current path inside the app frame. Pages other
 * than the dashboard are loaded on demand so the first screen stays small.
 */
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useSession } from './api/queries.js';
import { AppFrame } from './components/app-frame.js';
import { EmptyBlock, ErrorBlock } from './components/query-state.js';
import { RouterLink } from './components/router-link.js';
import { matchRoute, type Route, useRoute } from './hooks/use-route.js';
import { DashboardScene } from './scenes/dashboard/dashboard-scene.js';
import { SetupScene } from './scenes/sign-in/setup-scene.js';
import { SignInScene } from './scenes/sign-in/sign-in-scene.js';

const SCENES = {
  incident: () => import('./scenes/incident/incident-scene.js'),
  triage: () => import('./scenes/triage/triage-scene.js'),
  advisory: () => import('./scenes/advisory/advisory-scene.js'),
  report: () => import('./scenes/report/report-scene.js'),
  plans: () => import('./scenes/plans/plans-scene.js'),
  plan: () => import('./scenes/plans/plan-scene.js'),
  metrics: () => import('./scenes/metrics/metrics-scene.js'),
  account: () => import('./scenes/account/account-scene.js'),
  schedules: () => import('./scenes/schedules/schedules-scene.js'),
};
const IncidentScene = lazy(SCENES.incident);
const TriageScene = lazy(SCENES.triage);
const AdvisoryScene = lazy(SCENES.advisory);
const ReportScene = lazy(SCENES.report);
const PlansScene = lazy(SCENES.plans);
const PlanScene = lazy(SCENES.plan);
const MetricsScene = lazy(SCENES.metrics);
const AccountScene = lazy(SCENES.account);
const SchedulesScene = lazy(SCENES.schedules);

// A deep link (e.g. an incident page opened from a chat message) starts loading its page's
// code at once, in parallel with the session request, instead of after it.
const opening = matchRoute(window.location.pathname).name;
if (opening in SCENES) void SCENES[opening as keyof typeof SCENES]().catch(() => undefined);

function PageLoader() {
  return (
    <Center h={240}>
      <Loader aria-label="Loading page" />
    </Center>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <DashboardScene />;
    case 'report':
      return <ReportScene />;
    case 'incident':
      return <IncidentScene key={route.id} id={route.id} />;
    case 'triage':
      return <TriageScene key={route.id} id={route.id} />;
    case 'advisory':
      return <AdvisoryScene key={route.id} id={route.id} incidentId={route.incidentId} />;
    case 'plans':
      return <PlansScene />;
    case 'plan':
      return <PlanScene key={route.id} id={route.id} />;
    case 'metrics':
      return <MetricsScene />;
    case 'account':
      return <AccountScene />;
    case 'schedules':
      return <SchedulesScene />;
    case 'not-found':
      return <EmptyBlock title="Nothing here" description={`No page at ${route.path}.`} action={<RouterLink to="/">Go to the dashboard</RouterLink>} />;
  }
}

export function App() {
  const session = useSession();
  const route = useRoute();
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Center p="xl">
        <ErrorBlock title="Cannot reach Firebreak" error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (session.data.setupRequired) return <SetupScene />;
  if (!session.data.user) return <SignInScene oidc={session.data.oidc} />;
  return (
    <AppFrame user={session.data.user} route={route}>
      <Suspense fallback={<PageLoader />}>
        <Page route={route} />
      </Suspense>
    </AppFrame>
  );
}
