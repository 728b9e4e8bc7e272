/** Every test runs with stored API objects frozen: an in-place edit of one throws where it happens. */
import { ApiStore } from '../api/store';

ApiStore.freezeStoredObjects = true;
