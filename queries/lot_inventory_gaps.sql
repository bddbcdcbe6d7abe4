-- title: Lot inventory gaps on open order lines
-- description: Open lines of lot-numbered items whose location has less available lot quantity
--     (summed over the item's lots at that location) than the line still needs: the shortfall.
-- version: 1
-- params: location_id int optional
-- columns: line_key text; so_id int; line_id int; so_number text; order_name text;
--     customer_name text; item_id int; sku text; item_name text; location_id int;
--     location_name text; open_qty decimal; available_qty decimal; shortfall_qty decimal;
--     lots_available int; trandate date; age_days int; status text; status_label text
-- key: line_key
-- refresh: 1h
-- kpi: amount=shortfall_qty; group=location_name
SELECT so.id || '-' || tl.id                              AS line_key,
       so.id                                              AS so_id,
       tl.id                                              AS line_id,
       so.tranid                                          AS so_number,
       so.{{order_name}}                                  AS order_name,
       BUILTIN.DF(so.entity)                              AS customer_name,
       tl.item                                            AS item_id,
       i.itemid                                           AS sku,
       i.displayname                                      AS item_name,
       tl.location                                        AS location_id,
       BUILTIN.DF(tl.location)                            AS location_name,
       ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0)     AS open_qty,
       NVL(a.available_qty, 0)                            AS available_qty,
       ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) - NVL(a.available_qty, 0) AS shortfall_qty,
       NVL(a.lots_available, 0)                           AS lots_available,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')                 AS trandate,
       TRUNC(SYSDATE) - so.trandate                       AS age_days,
       so.status                                          AS status,
       BUILTIN.DF(so.status)                              AS status_label
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
JOIN item i ON i.id = tl.item
-- available lot quantity per item and location (base units), over every lot of the item
LEFT JOIN (SELECT n.item AS item_id,
                  nl.location AS location_id,
                  SUM(NVL(nl.quantityavailable, 0)) AS available_qty,
                  SUM(CASE WHEN nl.quantityavailable > 0 THEN 1 ELSE 0 END) AS lots_available
             FROM inventorynumber n
             JOIN inventorynumberlocation nl ON nl.inventorynumber = n.id
            GROUP BY n.item, nl.location) a
       ON a.item_id = tl.item AND a.location_id = tl.location
WHERE so.type = 'SalesOrd'
  AND so.status IN ('B', 'D', 'E')
  AND tl.mainline = 'F'
  AND tl.taxline = 'F'
  AND tl.isclosed = 'F'
  AND tl.fulfillable = 'T'
  AND i.islotitem = 'T'
  AND ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) > 0
  AND NVL(a.available_qty, 0) < ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0)
  AND (:location_id IS NULL OR tl.location = :location_id)
ORDER BY line_key
