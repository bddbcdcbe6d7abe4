-- title: Orders vs bills reconciliation
-- description: Finance's reconciliation, one row per sales order placed in the period: order
--     total, what was billed (sum of its invoices' and cash sales' totals, voided invoices
--     excluded), bill type(s) and count, what is known to be paid (cash sales, invoices paid in
--     full) and the difference between ordered and billed. The view aggregates per day and
--     channel.
-- version: 2
-- params: placed_after date default -90d; modified_after datetime optional
-- columns: so_id int; so_number text; order_name text; shopify_order_id text; trandate date;
--     channel text; customer_type text; status text; status_label text; order_total decimal;
--     billed_amount decimal; bill_count int; invoice_count int; cash_sale_count int;
--     bill_type text; expected_bill_type text; paid_amount decimal; difference decimal;
--     last_modified datetime
-- key: so_id
-- refresh: 1h
-- incremental: last_modified
-- kpi: amount=difference; group=channel
SELECT so.id                                    AS so_id,
       so.tranid                                AS so_number,
       so.{{order_name}}                        AS order_name,
       so.{{order_id}}                          AS shopify_order_id,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')       AS trandate,
       so.{{channel}}                           AS channel,
       CASE WHEN c.isperson = 'T' THEN 'DTC' ELSE 'B2B' END AS customer_type,
       so.status                                AS status,
       BUILTIN.DF(so.status)                    AS status_label,
       so.foreigntotal                          AS order_total,
       NVL(bl.billed_amount, 0)                 AS billed_amount,
       NVL(bl.bill_count, 0)                    AS bill_count,
       NVL(bl.invoice_count, 0)                 AS invoice_count,
       NVL(bl.cash_sale_count, 0)               AS cash_sale_count,
       CASE WHEN bl.invoice_count > 0 AND bl.cash_sale_count > 0 THEN 'Mixed'
            WHEN bl.invoice_count > 0 THEN 'Invoice'
            WHEN bl.cash_sale_count > 0 THEN 'Cash Sale'
            ELSE 'None' END                     AS bill_type,
       CASE WHEN so.terms IS NOT NULL THEN 'Invoice' ELSE 'Cash Sale' END AS expected_bill_type,
       NVL(bl.paid_amount, 0)                   AS paid_amount,
       so.foreigntotal - NVL(bl.billed_amount, 0) AS difference,
       -- a bill created or paid later changes the row: the newest of order and bill changes
       TO_CHAR(CASE WHEN bl.last_modified > so.lastmodifieddate THEN bl.last_modified
                    ELSE so.lastmodifieddate END, 'YYYY-MM-DD HH24:MI:SS') AS last_modified
FROM transaction so
JOIN customer c ON c.id = so.entity
LEFT JOIN (SELECT x.so_id,
                  COUNT(*) AS bill_count,
                  SUM(b.foreigntotal) AS billed_amount,
                  SUM(CASE WHEN b.type = 'CustInvc' THEN 1 ELSE 0 END) AS invoice_count,
                  SUM(CASE WHEN b.type = 'CashSale' THEN 1 ELSE 0 END) AS cash_sale_count,
                  SUM(CASE WHEN b.type = 'CashSale' OR b.status = 'B' THEN b.foreigntotal
                           ELSE 0 END) AS paid_amount,
                  MAX(b.lastmodifieddate) AS last_modified
             FROM (SELECT DISTINCT l.previousdoc AS so_id, l.nextdoc AS bill_id
                     FROM nexttransactionlinelink l
                     JOIN transaction s ON s.id = l.previousdoc
                    WHERE l.linktype = 'OrdBill'
                      AND s.type = 'SalesOrd'
                      AND s.trandate >= TO_DATE(:placed_after, 'YYYY-MM-DD')) x
             JOIN transaction b ON b.id = x.bill_id
            WHERE b.type IN ('CustInvc', 'CashSale')
              AND b.status <> 'V'
              AND NVL(b.voided, 'F') = 'F'
            GROUP BY x.so_id) bl ON bl.so_id = so.id
WHERE so.type = 'SalesOrd'
  AND so.trandate >= TO_DATE(:placed_after, 'YYYY-MM-DD')
  AND (:modified_after IS NULL
       OR so.lastmodifieddate >= :modified_after
       OR bl.last_modified >= :modified_after)
ORDER BY so.id
