-- title: Sales order lines pending fulfillment
-- description: Open, fulfillable lines of approved sales orders (pending fulfillment, partially
--     fulfilled, pending billing with lines left), with location, channel, open quantity and age.
--     Every open line by default, however old: the oldest are the worst exceptions.
-- version: 2
-- params: location_id int optional; placed_after date optional
-- columns: line_key text; so_id int; line_id int; so_number text; order_name text;
--     shopify_order_id text; customer_id int; customer_name text; customer_type text;
--     channel text; item_id int; sku text; location_id int; location_name text;
--     ordered_qty decimal; shipped_qty decimal; open_qty decimal; open_amount decimal;
--     trandate date; age_days int; age_bucket text; status text; status_label text
-- key: line_key
-- refresh: 15m
-- kpi: amount=open_amount; group=location_name
SELECT so.id || '-' || tl.id                              AS line_key,
       so.id                                              AS so_id,
       tl.id                                              AS line_id,
       so.tranid                                          AS so_number,
       so.{{order_name}}                                  AS order_name,
       so.{{order_id}}                                    AS shopify_order_id,
       so.entity                                          AS customer_id,
       BUILTIN.DF(so.entity)                              AS customer_name,
       CASE WHEN c.isperson = 'T' THEN 'DTC' ELSE 'B2B' END AS customer_type,
       so.{{channel}}                                     AS channel,
       tl.item                                            AS item_id,
       i.itemid                                           AS sku,
       tl.location                                        AS location_id,
       BUILTIN.DF(tl.location)                            AS location_name,
       ABS(tl.quantity)                                   AS ordered_qty,
       NVL(tl.quantityshiprecv, 0)                        AS shipped_qty,
       ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0)     AS open_qty,
       -- the line amount pro rata to the open quantity (amounts are negative on sales orders)
       ROUND(ABS(tl.amount) * (ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0))
             / ABS(tl.quantity), 2)                       AS open_amount,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')                 AS trandate,
       TRUNC(SYSDATE) - so.trandate                       AS age_days,
       CASE WHEN TRUNC(SYSDATE) - so.trandate <= 2 THEN '0-2 days'
            WHEN TRUNC(SYSDATE) - so.trandate <= 7 THEN '3-7 days'
            WHEN TRUNC(SYSDATE) - so.trandate <= 14 THEN '8-14 days'
            WHEN TRUNC(SYSDATE) - so.trandate <= 30 THEN '15-30 days'
            ELSE '31+ days' END                           AS age_bucket,
       so.status                                          AS status,
       BUILTIN.DF(so.status)                              AS status_label
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
JOIN item i ON i.id = tl.item
JOIN customer c ON c.id = so.entity
WHERE so.type = 'SalesOrd'
  AND so.status IN ('B', 'D', 'E')
  AND tl.mainline = 'F'
  AND tl.taxline = 'F'
  AND tl.isclosed = 'F'
  AND tl.fulfillable = 'T'
  AND ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) > 0
  AND (:placed_after IS NULL OR so.trandate >= TO_DATE(:placed_after, 'YYYY-MM-DD'))
  AND (:location_id IS NULL OR tl.location = :location_id)
ORDER BY line_key
