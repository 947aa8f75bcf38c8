import { I18nProvider, useI18n } from './i18n/i18n';
import { SessionProvider, useSession } from './session/session';
import { AnnouncerProvider } from './ui/announcer';
import { Layout } from './shell/layout';
import { Routes } from './routes';
import { SignInPage } from './features/sign-in/sign-in-page';
import { Loading } from './ui/loading';
import { FailureMessage } from './ui/failure';

function Portal() {
  const { session, refresh } = useSession();
  useI18n();
  const me = session.status === 'signed-in' ? session.me : undefined;
  return (
    <Layout me={me}>
      {session.status === 'loading' && <Loading />}
      {session.status === 'error' && <FailureMessage failure={session.failure} onRetry={refresh} />}
      {session.status === 'signed-out' && <SignInPage />}
      {me !== undefined && <Routes me={me} />}
    </Layout>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AnnouncerProvider>
        <SessionProvider>
          <Portal />
        </SessionProvider>
      </AnnouncerProvider>
    </I18nProvider>
  );
}
