-- title: Find a sales order
-- description: Support's lookup: the sales orders matching a Shopify order name (with or
--     without '#'), Shopify order id, sales order number (as typed or upper-case), customer
--     e-mail (any case) or a tracking number (as typed or upper-case; from the tracking-number
--     map or a package) of one of their fulfillments.
-- version: 2
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
            WHEN so.tranid IN (TRIM(:term), UPPER(TRIM(:term))) THEN 'Sales order number'
            WHEN LOWER(c.email) = LOWER(TRIM(:term)) THEN 'Customer e-mail'
            ELSE 'Tracking number' END         AS matched_by
FROM transaction so
JOIN customer c ON c.id = so.entity
WHERE so.type = 'SalesOrd'
  -- one selective lookup per kind of term, so each can use its own index
  AND so.id IN (SELECT s.id FROM transaction s
                 WHERE s.type = 'SalesOrd'
                   AND s.{{order_name}} IN (TRIM(:term), '#' || TRIM(:term))
                UNION
                SELECT s.id FROM transaction s
                 WHERE s.type = 'SalesOrd' AND s.{{order_id}} = TRIM(:term)
                UNION
                SELECT s.id FROM transaction s
                 WHERE s.type = 'SalesOrd' AND s.tranid IN (TRIM(:term), UPPER(TRIM(:term)))
                UNION
                SELECT s.id FROM transaction s
                  JOIN customer ce ON ce.id = s.entity
                 WHERE s.type = 'SalesOrd' AND LOWER(ce.email) = LOWER(TRIM(:term))
                UNION
                SELECT fm.createdfrom FROM trackingnumber tn
                  JOIN trackingnumbermap m ON m.trackingnumber = tn.id
                  JOIN transactionline fm ON fm.transaction = m.transaction AND fm.mainline = 'T'
                 WHERE tn.trackingnumber IN (TRIM(:term), UPPER(TRIM(:term)))
                UNION
                SELECT fm.createdfrom FROM itemfulfillmentpackage p
                  JOIN transactionline fm ON fm.transaction = p.itemfulfillment
                                         AND fm.mainline = 'T'
                 WHERE p.packagetrackingnumber IN (TRIM(:term), UPPER(TRIM(:term))))
ORDER BY so.id
