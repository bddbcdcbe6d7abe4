-- title: Orders that failed billing
-- description: Sales orders pending billing (status E or F) with shipped quantity not yet
--     billed, whose last fulfillment is more than N days old: the bill that should exist
--     (invoice when the order has terms, else cash sale), whether the connector already tried to
--     auto-bill, the unbilled quantity and amount, and how long it has waited.
-- version: 3
-- params: min_days int default 2
-- columns: so_id int; so_number text; order_name text; shopify_order_id text;
--     customer_id int; customer_name text; customer_type text; channel text; trandate date;
--     age_days int; last_ship_date date; days_since_last_ship int; fulfillment_count int;
--     bill_count int; expected_bill_type text; auto_bill_attempted bool; unbilled_qty decimal;
--     unbilled_amount decimal; order_total decimal; failure_reason text; status text;
--     status_label text
-- key: so_id
-- refresh: 15m
-- kpi: amount=unbilled_amount; group=channel
SELECT so.id                                       AS so_id,
       so.tranid                                   AS so_number,
       so.{{order_name}}                           AS order_name,
       so.{{order_id}}                             AS shopify_order_id,
       so.entity                                   AS customer_id,
       BUILTIN.DF(so.entity)                       AS customer_name,
       CASE WHEN c.isperson = 'T' THEN 'DTC' ELSE 'B2B' END AS customer_type,
       so.{{channel}}                              AS channel,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')          AS trandate,
       TRUNC(SYSDATE) - so.trandate                AS age_days,
       TO_CHAR(sh.last_ship, 'YYYY-MM-DD')          AS last_ship_date,
       TRUNC(SYSDATE) - sh.last_ship               AS days_since_last_ship,
       sh.fulfillment_count                        AS fulfillment_count,
       NVL(b.bill_count, 0)                        AS bill_count,
       CASE WHEN so.terms IS NOT NULL THEN 'Invoice' ELSE 'Cash Sale' END AS expected_bill_type,
       NVL(so.{{auto_bill_flag}}, 'F')             AS auto_bill_attempted,
       u.unbilled_qty                              AS unbilled_qty,
       u.unbilled_amount                           AS unbilled_amount,
       so.foreigntotal                             AS order_total,
       CASE WHEN NVL(b.bill_count, 0) = 0 THEN 'No bill'
            ELSE 'Shipped quantity not billed' END AS failure_reason,
       so.status                                   AS status,
       BUILTIN.DF(so.status)                       AS status_label
FROM transaction so
JOIN customer c ON c.id = so.entity
-- shipped but unbilled quantity per order, with its amount pro rata to the line amount
JOIN (SELECT tl.transaction AS so_id,
             SUM(tl.quantityshiprecv - NVL(tl.quantitybilled, 0)) AS unbilled_qty,
             ROUND(SUM(ABS(tl.amount) * (tl.quantityshiprecv - NVL(tl.quantitybilled, 0))
                       / ABS(tl.quantity)), 2) AS unbilled_amount
        FROM transactionline tl
        JOIN transaction s ON s.id = tl.transaction
       WHERE s.type = 'SalesOrd'
         AND s.status IN ('E', 'F')
         AND tl.mainline = 'F'
         AND tl.taxline = 'F'
         AND tl.kitmemberof IS NULL  -- kit components ship but are billed on the kit line
         AND tl.quantity <> 0
         AND NVL(tl.quantityshiprecv, 0) > NVL(tl.quantitybilled, 0)
       GROUP BY tl.transaction) u ON u.so_id = so.id
JOIN (SELECT l.previousdoc AS so_id,
             MAX(f.trandate) AS last_ship,
             COUNT(DISTINCT f.id) AS fulfillment_count
        FROM nexttransactionlinelink l
        JOIN transaction s ON s.id = l.previousdoc
        JOIN transaction f ON f.id = l.nextdoc
       WHERE l.linktype = 'ShipRcpt'
         AND s.type = 'SalesOrd'
         AND s.status IN ('E', 'F')
       GROUP BY l.previousdoc) sh ON sh.so_id = so.id
LEFT JOIN (SELECT l.previousdoc AS so_id, COUNT(DISTINCT l.nextdoc) AS bill_count
             FROM nexttransactionlinelink l
             JOIN transaction s ON s.id = l.previousdoc
            WHERE l.linktype = 'OrdBill'
              AND s.type = 'SalesOrd'
              AND s.status IN ('E', 'F')
            GROUP BY l.previousdoc) b ON b.so_id = so.id
WHERE so.type = 'SalesOrd'
  AND so.status IN ('E', 'F')
  AND TRUNC(SYSDATE) - sh.last_ship > :min_days
ORDER BY so.id
