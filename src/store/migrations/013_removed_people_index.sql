-- Sign-in refuses a removed person before the people rules could create them again
-- (src/store/people-store.ts findRemoved: by the provider's subject, or by e-mail). Partial indexes
-- keep that lookup off a scan of every person ever registered.
CREATE INDEX people_removed_subject ON people (issuer, subject) WHERE status = 'removed' AND subject IS NOT NULL;
CREATE INDEX people_removed_email ON people (email) WHERE status = 'removed';
