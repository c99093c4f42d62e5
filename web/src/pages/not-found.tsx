import { Link } from '../router.tsx';
import { PageHeading } from '../ui/page.tsx';

export function NotFoundPage() {
  return (
    <section className="narrow">
      <PageHeading title="Not found">Nothing here</PageHeading>
      <p>
        This page does not exist. <Link to="/">Find a commune</Link> instead.
      </p>
    </section>
  );
}
