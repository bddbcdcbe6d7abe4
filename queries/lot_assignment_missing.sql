-- title: Fulfillments of lot items without lot assignment
-- description: Item fulfillment lines of lot-numbered items that have no inventory assignment
--     (no lot recorded for the shipped quantity), with the sales order, item and location.
-- version: 1
-- params: shipped_after date default -120d
-- columns: line_key text; if_id int; line_id int; if_number text; if_status text;
--     if_status_label text; ship_date date; days_since_ship int; so_id int; so_number text;
--     order_name text; item_id int; sku text; location_id int; location_name text;
--     quantity decimal
-- key: line_key
-- refresh: 1h
-- kpi: amount=quantity; group=location_name
SELECT f.id || '-' || fl.id                  AS line_key,
       f.id                                  AS if_id,
       fl.id                                 AS line_id,
       f.tranid                              AS if_number,
       f.status                              AS if_status,
       BUILTIN.DF(f.status)                  AS if_status_label,
       TO_CHAR(f.trandate, 'YYYY-MM-DD')     AS ship_date,
       TRUNC(SYSDATE) - f.trandate           AS days_since_ship,
       so.id                                 AS so_id,
       so.tranid                             AS so_number,
       so.{{order_name}}                     AS order_name,
       fl.item                               AS item_id,
       i.itemid                              AS sku,
       fl.location                           AS location_id,
       BUILTIN.DF(fl.location)               AS location_name,
       ABS(fl.quantity)                      AS quantity
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so ON so.id = fm.createdfrom
JOIN transactionline fl ON fl.transaction = f.id
JOIN item i ON i.id = fl.item
WHERE f.type = 'ItemShip'
  AND f.trandate >= TO_DATE(:shipped_after, 'YYYY-MM-DD')
  AND fl.mainline = 'F'
  AND fl.taxline = 'F'
  AND NVL(fl.iscogs, 'F') = 'F'
  AND i.islotitem = 'T'
  AND NOT EXISTS (SELECT 1
                    FROM inventoryassignment ia
                   WHERE ia.transaction = fl.transaction
                     AND ia.transactionline = fl.id)
ORDER BY line_key
