-- title: Find a sales order
-- description: Support's lookup: the sales orders matching a Shopify order name (with or
--     without '#'), Shopify order id, sales order number, customer e-mail (any case) or a
--     tracking number (from the tracking-number map or a package) of one of their fulfillments.
-- version: 1
-- params: term text
-- columns: so_id int; so_number text; order_name text; shopify_order_id text; trandate date;
--     customer_id int; customer_name text; customer_email text; customer_type text;
--     channel text; order_total decimal; status text; status_label text; matched_by text
-- key: so_id
-- refresh: live
SELECT so.id                                   AS so_id,
       so.tranid                               AS so_number,
       so.{{order_name}}                       AS order_name,
       so.{{order_id}}                         AS shopify_order_id,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')      AS trandate,
       so.entity                               AS customer_id,
       BUILTIN.DF(so.entity)                   AS customer_name,
       c.email                                 AS customer_email,
       CASE WHEN c.isperson = 'T' THEN 'DTC' ELSE 'B2B' END AS customer_type,
       so.{{channel}}                          AS channel,
       so.foreigntotal                         AS order_total,
       so.status                               AS status,
       BUILTIN.DF(so.status)                   AS status_label,
       CASE WHEN so.{{order_name}} = TRIM(:term) OR so.{{order_name}} = '#' || TRIM(:term)
                 THEN 'Shopify order name'
            WHEN so.{{order_id}} = TRIM(:term) THEN 'Shopify order id'
            WHEN UPPER(so.tranid) = UPPER(TRIM(:term)) THEN 'Sales order number'
            WHEN LOWER(c.email) = LOWER(TRIM(:term)) THEN 'Customer e-mail'
            ELSE 'Tracking number' END         AS matched_by
FROM transaction so
JOIN customer c ON c.id = so.entity
WHERE so.type = 'SalesOrd'
  AND (so.{{order_name}} = TRIM(:term)
       OR so.{{order_name}} = '#' || TRIM(:term)
       OR so.{{order_id}} = TRIM(:term)
       OR UPPER(so.tranid) = UPPER(TRIM(:term))
       OR LOWER(c.email) = LOWER(TRIM(:term))
       OR EXISTS (SELECT 1
                    FROM transactionline fm
                    JOIN trackingnumbermap m ON m.transaction = fm.transaction
                    JOIN trackingnumber tn ON tn.id = m.trackingnumber
                   WHERE fm.createdfrom = so.id
                     AND fm.mainline = 'T'
                     AND UPPER(tn.trackingnumber) = UPPER(TRIM(:term)))
       OR EXISTS (SELECT 1
                    FROM transactionline fm
                    JOIN itemfulfillmentpackage p ON p.itemfulfillment = fm.transaction
                   WHERE fm.createdfrom = so.id
                     AND fm.mainline = 'T'
                     AND UPPER(p.packagetrackingnumber) = UPPER(TRIM(:term))))
ORDER BY so.id
