-- title: Partially fulfilled sales orders, line by line
-- description: Every fulfillable line of partially fulfilled orders (status D or E): ordered,
--     shipped and remaining quantities, the location its latest fulfillment shipped from, and
--     the days since the order's last shipment. One row per line; the view aggregates per order.
-- version: 1
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
SELECT r.line_key, r.so_id, r.line_id, r.so_number, r.order_name, r.shopify_order_id,
       r.customer_name, r.channel, r.item_id, r.sku, r.location_id, r.location_name,
       r.ordered_qty, r.shipped_qty, r.remaining_qty,
       ROUND(r.line_amount * r.remaining_qty / r.ordered_qty, 2) AS remaining_amount,
       r.is_closed, r.fulfillment_count,
       r.shipped_from_location_id, sl.name AS shipped_from_location_name,
       TO_CHAR(r.last_ship, 'YYYY-MM-DD') AS last_ship_date,
       TRUNC(SYSDATE) - r.last_ship AS days_since_last_ship,
       r.trandate, r.status, r.status_label
FROM (
    SELECT so.id || '-' || tl.id                          AS line_key,
           so.id                                          AS so_id,
           tl.id                                          AS line_id,
           so.tranid                                      AS so_number,
           so.{{order_name}}                              AS order_name,
           so.{{order_id}}                                AS shopify_order_id,
           BUILTIN.DF(so.entity)                          AS customer_name,
           so.{{channel}}                                 AS channel,
           tl.item                                        AS item_id,
           i.itemid                                       AS sku,
           tl.location                                    AS location_id,
           BUILTIN.DF(tl.location)                        AS location_name,
           ABS(tl.quantity)                               AS ordered_qty,
           NVL(tl.quantityshiprecv, 0)                    AS shipped_qty,
           CASE WHEN tl.isclosed = 'T' THEN 0
                ELSE ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) END AS remaining_qty,
           ABS(tl.amount)                                 AS line_amount,
           tl.isclosed                                    AS is_closed,
           (SELECT COUNT(DISTINCT l.nextdoc)
              FROM nexttransactionlinelink l
             WHERE l.previousdoc = tl.transaction AND l.previousline = tl.id
               AND l.linktype = 'ShipRcpt')              AS fulfillment_count,
           -- the location of the line's latest (highest id) fulfillment
           (SELECT MAX(fl.location)
              FROM nexttransactionlinelink l
              JOIN transactionline fl ON fl.transaction = l.nextdoc AND fl.id = l.nextline
             WHERE l.previousdoc = tl.transaction AND l.previousline = tl.id
               AND l.linktype = 'ShipRcpt'
               AND l.nextdoc = (SELECT MAX(l2.nextdoc)
                                  FROM nexttransactionlinelink l2
                                 WHERE l2.previousdoc = tl.transaction
                                   AND l2.previousline = tl.id
                                   AND l2.linktype = 'ShipRcpt')) AS shipped_from_location_id,
           (SELECT MAX(f.trandate)
              FROM nexttransactionlinelink l
              JOIN transaction f ON f.id = l.nextdoc
             WHERE l.previousdoc = so.id AND l.linktype = 'ShipRcpt') AS last_ship,
           TO_CHAR(so.trandate, 'YYYY-MM-DD')             AS trandate,
           so.status                                      AS status,
           BUILTIN.DF(so.status)                          AS status_label
    FROM transaction so
    JOIN transactionline tl ON tl.transaction = so.id
    JOIN item i ON i.id = tl.item
    WHERE so.type = 'SalesOrd'
      AND so.status IN ('D', 'E')
      AND tl.mainline = 'F'
      AND tl.taxline = 'F'
      AND tl.fulfillable = 'T'
      AND tl.quantity <> 0
      AND (:location_id IS NULL OR tl.location = :location_id)
) r
LEFT JOIN location sl ON sl.id = r.shipped_from_location_id
ORDER BY r.line_key
