import { keepTypedBeforeHydration } from '$lib/client/typed-before-hydration';

// Loaded with the app, before the first page hydrates: what the person has typed so far is noted
// so that hydration does not erase it (restored in the root layout's afterNavigate).
keepTypedBeforeHydration();
