-- title: Item fulfillments and their tracking numbers
-- description: One row per fulfillment and tracking number (from the tracking-number map and
--     from packages), and one row with has_tracking = F for a shipped fulfillment without any
--     (picked or packed ones have nothing to track yet), with carrier, ship method, ship date,
--     sales order, Shopify order, location and whether the connector exported it to Shopify.
-- version: 2
-- params: shipped_after date default -120d
-- columns: tracking_key text; if_id int; if_number text; if_status text; if_status_label text;
--     ship_date date; days_since_ship int; carrier text; ship_method text; so_id int;
--     so_number text; order_name text; shopify_order_id text; location_id int;
--     location_name text; tracking_number text; tracking_source text; has_tracking bool;
--     exported_to_shopify bool
-- key: tracking_key
-- refresh: 15m
-- kpi: group=location_name
SELECT f.id || '-M' || tn.id                     AS tracking_key,
       f.id                                      AS if_id,
       f.tranid                                  AS if_number,
       f.status                                  AS if_status,
       BUILTIN.DF(f.status)                      AS if_status_label,
       TO_CHAR(f.trandate, 'YYYY-MM-DD')         AS ship_date,
       TRUNC(SYSDATE) - f.trandate               AS days_since_ship,
       f.shipcarrier                             AS carrier,
       BUILTIN.DF(f.shipmethod)                  AS ship_method,
       so.id                                     AS so_id,
       so.tranid                                 AS so_number,
       so.{{order_name}}                         AS order_name,
       so.{{order_id}}                           AS shopify_order_id,
       fm.location                               AS location_id,
       BUILTIN.DF(fm.location)                   AS location_name,
       tn.trackingnumber                         AS tracking_number,
       'map'                                     AS tracking_source,
       'T'                                       AS has_tracking,
       NVL(f.{{fulfillment_exported_flag}}, 'F') AS exported_to_shopify
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so ON so.id = fm.createdfrom
JOIN trackingnumbermap m ON m.transaction = f.id
JOIN trackingnumber tn ON tn.id = m.trackingnumber
WHERE f.type = 'ItemShip'
  AND f.trandate >= TO_DATE(:shipped_after, 'YYYY-MM-DD')
UNION
SELECT f.id || '-P' || p.id,
       f.id, f.tranid, f.status, BUILTIN.DF(f.status),
       TO_CHAR(f.trandate, 'YYYY-MM-DD'), TRUNC(SYSDATE) - f.trandate,
       f.shipcarrier, BUILTIN.DF(f.shipmethod),
       so.id, so.tranid, so.{{order_name}}, so.{{order_id}},
       fm.location, BUILTIN.DF(fm.location),
       p.packagetrackingnumber, 'package', 'T',
       NVL(f.{{fulfillment_exported_flag}}, 'F')
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so ON so.id = fm.createdfrom
JOIN itemfulfillmentpackage p ON p.itemfulfillment = f.id
WHERE f.type = 'ItemShip'
  AND f.trandate >= TO_DATE(:shipped_after, 'YYYY-MM-DD')
  AND p.packagetrackingnumber IS NOT NULL
UNION
SELECT f.id || '-N',
       f.id, f.tranid, f.status, BUILTIN.DF(f.status),
       TO_CHAR(f.trandate, 'YYYY-MM-DD'), TRUNC(SYSDATE) - f.trandate,
       f.shipcarrier, BUILTIN.DF(f.shipmethod),
       so.id, so.tranid, so.{{order_name}}, so.{{order_id}},
       fm.location, BUILTIN.DF(fm.location),
       NULL, NULL, 'F',
       NVL(f.{{fulfillment_exported_flag}}, 'F')
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so ON so.id = fm.createdfrom
WHERE f.type = 'ItemShip'
  AND f.status = 'C'
  AND f.trandate >= TO_DATE(:shipped_after, 'YYYY-MM-DD')
  AND NOT EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id)
  AND NOT EXISTS (SELECT 1 FROM itemfulfillmentpackage p
                   WHERE p.itemfulfillment = f.id AND p.packagetrackingnumber IS NOT NULL)
ORDER BY tracking_key
