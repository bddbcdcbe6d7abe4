-- title: Order timeline
-- description: Everything that happened to one sales order, in time order: its creation, each
--     fulfillment (one row per tracking number, location, carrier, ship method, status), each
--     bill (invoice or cash sale, amount, status) and each payment of those bills.
-- version: 1
-- params: so_id int
-- columns: event_key text; event_at datetime; event_date date; event_type text;
--     record_type text; record_id int; document_number text; status text; status_label text;
--     amount decimal; location_id int; location_name text; carrier text; ship_method text;
--     tracking_number text
-- key: event_key
-- refresh: live
SELECT 'A-' || so.id                                     AS event_key,
       TO_CHAR(so.createddate, 'YYYY-MM-DD HH24:MI:SS')  AS event_at,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')                AS event_date,
       'Order created'                                   AS event_type,
       so.recordtype                                     AS record_type,
       so.id                                             AS record_id,
       so.tranid                                         AS document_number,
       so.status                                         AS status,
       BUILTIN.DF(so.status)                             AS status_label,
       so.foreigntotal                                   AS amount,
       sm.location                                       AS location_id,
       BUILTIN.DF(sm.location)                           AS location_name,
       so.shipcarrier                                    AS carrier,
       BUILTIN.DF(so.shipmethod)                         AS ship_method,
       NULL                                              AS tracking_number
FROM transaction so
JOIN transactionline sm ON sm.transaction = so.id AND sm.mainline = 'T'
WHERE so.id = :so_id
  AND so.type = 'SalesOrd'
UNION
-- fulfillments: one row per tracking number (map or package), or one row without any
SELECT 'B-' || f.id || '-' || NVL(t.tracking_ref, 'none'),
       TO_CHAR(f.createddate, 'YYYY-MM-DD HH24:MI:SS'),
       TO_CHAR(f.trandate, 'YYYY-MM-DD'),
       'Fulfillment',
       f.recordtype, f.id, f.tranid, f.status, BUILTIN.DF(f.status),
       NULL,
       fm.location, BUILTIN.DF(fm.location),
       f.shipcarrier, BUILTIN.DF(f.shipmethod),
       t.tracking_number
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
LEFT JOIN (SELECT m.transaction AS if_id, 'M' || tn.id AS tracking_ref,
                  tn.trackingnumber AS tracking_number
             FROM trackingnumbermap m
             JOIN trackingnumber tn ON tn.id = m.trackingnumber
           UNION
           SELECT p.itemfulfillment, 'P' || p.id, p.packagetrackingnumber
             FROM itemfulfillmentpackage p
            WHERE p.packagetrackingnumber IS NOT NULL) t ON t.if_id = f.id
WHERE fm.createdfrom = :so_id
  AND f.type = 'ItemShip'
UNION
SELECT 'C-' || b.id,
       TO_CHAR(b.createddate, 'YYYY-MM-DD HH24:MI:SS'),
       TO_CHAR(b.trandate, 'YYYY-MM-DD'),
       CASE WHEN b.type = 'CustInvc' THEN 'Invoice' ELSE 'Cash sale' END,
       b.recordtype, b.id, b.tranid, b.status, BUILTIN.DF(b.status),
       b.foreigntotal,
       bm.location, BUILTIN.DF(bm.location),
       NULL, NULL, NULL
FROM transaction b
JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
WHERE bm.createdfrom = :so_id
  AND b.type IN ('CustInvc', 'CashSale')
UNION
-- payments are linked to the bills they pay (header or line links, whichever the account has)
SELECT 'D-' || p.id,
       TO_CHAR(p.createddate, 'YYYY-MM-DD HH24:MI:SS'),
       TO_CHAR(p.trandate, 'YYYY-MM-DD'),
       'Payment',
       p.recordtype, p.id, p.tranid, p.status, BUILTIN.DF(p.status),
       p.foreigntotal,
       NULL, NULL, NULL, NULL, NULL
FROM transaction p
JOIN (SELECT l.previousdoc AS bill_id, l.nextdoc AS payment_id
        FROM nexttransactionlink l
       WHERE l.linktype = 'Payment'
      UNION
      SELECT l.previousdoc, l.nextdoc
        FROM nexttransactionlinelink l
       WHERE l.linktype = 'Payment') pl ON pl.payment_id = p.id
JOIN transactionline bm ON bm.transaction = pl.bill_id AND bm.mainline = 'T'
WHERE bm.createdfrom = :so_id
  AND p.type = 'CustPymt'
ORDER BY event_at, event_key
