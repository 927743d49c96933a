import { Route, Routes } from 'react-router-dom';
import LoginPage from '../features/login/LoginPage';
import { AppLayout } from './AppLayout';
import { LoginGate, NotFound, RequirePermission, RequireSignedIn } from './guards';
import { PAGES } from './pages';

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <LoginGate>
            <LoginPage />
          </LoginGate>
        }
      />
      <Route
        element={
          <RequireSignedIn>
            <AppLayout />
          </RequireSignedIn>
        }
      >
        {PAGES.map(({ path, any, component: Page }) => (
          <Route
            key={path}
            path={path}
            element={
              <RequirePermission any={any}>
                <Page />
              </RequirePermission>
            }
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
