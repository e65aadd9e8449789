/** weapp's custom tab bar (app.config `tabBar.custom`): the same bar the h5 tab pages render themselves. */
import TabBar from '../components/TabBar';

export default function CustomTabBar() {
  return <TabBar />;
}
