-- A DVD-rental style schema with everything the application role can reach
-- besides its tables: views over tenant tables, a SECURITY DEFINER report
-- function (executable by PUBLIC by default), a materialized view, a lookup
-- catalogue, serial sequences. Tenant: the store.
DO $$ BEGIN CREATE ROLE rental_reporting NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE stores (
  id bigint PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE customer (
  customer_id serial PRIMARY KEY,
  store_id bigint REFERENCES stores (id),
  first_name text NOT NULL,
  email text
);

CREATE TABLE film (
  film_id serial PRIMARY KEY,
  title text NOT NULL
);

CREATE TABLE payment (
  payment_id serial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customer (customer_id),
  film_id integer REFERENCES film (film_id),
  amount numeric(6, 2) NOT NULL
);

CREATE VIEW customer_list AS
  SELECT c.customer_id, c.store_id, c.first_name, c.email FROM customer AS c;

CREATE VIEW "Payment Totals" AS
  SELECT p.customer_id, sum(p.amount) AS total FROM payment AS p GROUP BY p.customer_id;

CREATE FUNCTION customer_report(p_store integer) RETURNS SETOF customer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM public.customer WHERE store_id = p_store $$;

INSERT INTO stores VALUES (1, 'Lethbridge'), (2, 'Woodridge');
INSERT INTO film (title) VALUES ('Academy Dinosaur'), ('Ace Goldfinger');
INSERT INTO customer (store_id, first_name, email) VALUES
  (1, 'Mary', 'mary@example.com'), (1, 'Patricia', 'patricia@example.com'), (2, 'Linda', 'linda@example.com');
INSERT INTO payment (customer_id, film_id, amount) VALUES (1, 1, 2.99), (2, 2, 0.99), (3, 1, 5.99), (3, 2, 4.99);

CREATE MATERIALIZED VIEW sales_by_store AS
  SELECT c.store_id, sum(p.amount) AS total FROM payment AS p JOIN customer AS c USING (customer_id) GROUP BY c.store_id;
