-- title: Partially fulfilled sales orders, line by line
-- description: Every fulfillable line of partially fulfilled orders (status D or E): ordered,
--     shipped and remaining quantities, the location its latest fulfillment shipped from, and
--     the days since the order's last shipment. One row per line; the view aggregates per order.
-- version: 2
-- params: location_id int optional
-- columns: line_key text; so_id int; line_id int; so_number text; order_name text;
--     shopify_order_id text; customer_name text; channel text; item_id int; sku text;
--     location_id int; location_name text; ordered_qty decimal; shipped_qty decimal;
--     remaining_qty decimal; remaining_amount decimal; is_closed bool; fulfillment_count int;
--     shipped_from_location_id int; shipped_from_location_name text; last_ship_date date;
--     days_since_last_ship int; trandate date; status text; status_label text
-- key: line_key
-- refresh: 15m
-- kpi: amount=remaining_amount; group=location_name
SELECT so.id || '-' || tl.id                              AS line_key,
       so.id                                              AS so_id,
       tl.id                                              AS line_id,
       so.tranid                                          AS so_number,
       so.{{order_name}}                                  AS order_name,
       so.{{order_id}}                                    AS shopify_order_id,
       BUILTIN.DF(so.entity)                              AS customer_name,
       so.{{channel}}                                     AS channel,
       tl.item                                            AS item_id,
       i.itemid                                           AS sku,
       tl.location                                        AS location_id,
       BUILTIN.DF(tl.location)                            AS location_name,
       ABS(tl.quantity)                                   AS ordered_qty,
       NVL(tl.quantityshiprecv, 0)                        AS shipped_qty,
       CASE WHEN tl.isclosed = 'T' THEN 0
            ELSE ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) END AS remaining_qty,
       CASE WHEN tl.isclosed = 'T' THEN 0
            ELSE ROUND(ABS(tl.amount) * (ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0))
                       / ABS(tl.quantity), 2) END         AS remaining_amount,
       tl.isclosed                                        AS is_closed,
       NVL(sh.fulfillments, 0)                            AS fulfillment_count,
       lf.location_id                                     AS shipped_from_location_id,
       sl.name                                            AS shipped_from_location_name,
       TO_CHAR(ls.last_ship, 'YYYY-MM-DD')                AS last_ship_date,
       TRUNC(SYSDATE) - ls.last_ship                      AS days_since_last_ship,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')                 AS trandate,
       so.status                                          AS status,
       BUILTIN.DF(so.status)                              AS status_label
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
JOIN item i ON i.id = tl.item
-- per order line: how many fulfillments shipped it, and the latest (highest id) of them
LEFT JOIN (SELECT l.previousdoc AS so_id, l.previousline AS line_id,
                  COUNT(DISTINCT l.nextdoc) AS fulfillments, MAX(l.nextdoc) AS last_if
             FROM nexttransactionlinelink l
             JOIN transaction s ON s.id = l.previousdoc
            WHERE l.linktype = 'ShipRcpt' AND s.type = 'SalesOrd' AND s.status IN ('D', 'E')
            GROUP BY l.previousdoc, l.previousline) sh
       ON sh.so_id = tl.transaction AND sh.line_id = tl.id
-- where each fulfillment shipped each order line from
LEFT JOIN (SELECT l.previousdoc AS so_id, l.previousline AS line_id, l.nextdoc AS if_id,
                  MAX(fl.location) AS location_id
             FROM nexttransactionlinelink l
             JOIN transaction s ON s.id = l.previousdoc
             JOIN transactionline fl ON fl.transaction = l.nextdoc AND fl.id = l.nextline
            WHERE l.linktype = 'ShipRcpt' AND s.type = 'SalesOrd' AND s.status IN ('D', 'E')
            GROUP BY l.previousdoc, l.previousline, l.nextdoc) lf
       ON lf.so_id = sh.so_id AND lf.line_id = sh.line_id AND lf.if_id = sh.last_if
LEFT JOIN location sl ON sl.id = lf.location_id
-- per order: the day of its last shipment
LEFT JOIN (SELECT l.previousdoc AS so_id, MAX(f.trandate) AS last_ship
             FROM nexttransactionlinelink l
             JOIN transaction s ON s.id = l.previousdoc
             JOIN transaction f ON f.id = l.nextdoc
            WHERE l.linktype = 'ShipRcpt' AND s.type = 'SalesOrd' AND s.status IN ('D', 'E')
            GROUP BY l.previousdoc) ls
       ON ls.so_id = so.id
WHERE so.type = 'SalesOrd'
  AND so.status IN ('D', 'E')
  AND tl.mainline = 'F'
  AND tl.taxline = 'F'
  AND tl.fulfillable = 'T'
  AND tl.quantity <> 0
  AND (:location_id IS NULL OR tl.location = :location_id)
ORDER BY line_key
