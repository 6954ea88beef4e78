-- Phone numbers of Germany, Austria and Switzerland written with the national 0 after the
-- country code ("+49 0171 …") were stored with that 0 (+4901711234567); they are stored
-- without it now (+491711234567), as the same number written any other way is. A number
-- whose corrected form another profile already holds keeps its old form: the two profiles
-- stay apart until staff merge them.
UPDATE customer_identifiers
SET value = substr(value, 1, 3) || substr(value, 5)
WHERE kind = 'phone'
  AND (value LIKE '+490%' OR value LIKE '+430%' OR value LIKE '+410%')
  AND length(value) >= 9
  AND NOT EXISTS (
      SELECT 1 FROM customer_identifiers other
      WHERE other.kind = 'phone'
        AND other.value = substr(customer_identifiers.value, 1, 3)
            || substr(customer_identifiers.value, 5)
  );
