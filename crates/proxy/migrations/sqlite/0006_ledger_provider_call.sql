-- The provider call an action made (JSON: method, path, body), so a resumed intent sends the
-- very same request again under its Idempotency-Key. Mollie answers 400 to a key reused with
-- other parameters, and some bodies depend on the mirror at the time (a discounted line's
-- share, the payment an amount is refunded from). NULL for actions recorded before.
ALTER TABLE actions ADD COLUMN provider_call TEXT;
