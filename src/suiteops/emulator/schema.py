"""The emulated account's NetSuite-shaped tables, and the display values `BUILTIN.DF` resolves.

Names and columns follow `shared/reference/netsuite.md` §4. Conventions kept exactly as NetSuite:
- checkboxes are `'T'`/`'F'` text, statuses are single letters (`transaction.status = 'B'`);
- sales-side line quantities and amounts are negative (`transactionline.quantity = -3`), header
  totals positive; `quantityshiprecv` and `quantitybilled` are positive;
- `transactionline.id` is unique only inside its transaction, `uniquekey` is table-wide unique;
- the mainline row (`mainline = 'T'`, `id = 0`) carries the header's location and, on item
  fulfillments, invoices and cash sales, `createdfrom` = the sales order id;
- connector fields are the Celigo-style `custbody_celigo_etail_*`/`custcol_celigo_etail_*` ids.
"""

from __future__ import annotations

import duckdb

TABLES: dict[str, str] = {
    "subsidiary": """
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, isinactive VARCHAR DEFAULT 'F'""",
    "location": """
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, fullname VARCHAR, subsidiary BIGINT,
        isinactive VARCHAR DEFAULT 'F', makeinventoryavailable VARCHAR DEFAULT 'T'""",
    "term": """
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, daysuntilnetdue INTEGER""",
    "customer": """
        id BIGINT PRIMARY KEY, entityid VARCHAR NOT NULL, altname VARCHAR, companyname VARCHAR,
        firstname VARCHAR, lastname VARCHAR, email VARCHAR, phone VARCHAR,
        isperson VARCHAR NOT NULL, terms BIGINT, category VARCHAR, subsidiary BIGINT,
        isinactive VARCHAR DEFAULT 'F', datecreated TIMESTAMP, lastmodifieddate TIMESTAMP,
        externalid VARCHAR""",
    "item": """
        id BIGINT PRIMARY KEY, itemid VARCHAR NOT NULL, displayname VARCHAR, description VARCHAR,
        itemtype VARCHAR NOT NULL, islotitem VARCHAR DEFAULT 'F', isserialitem VARCHAR DEFAULT 'F',
        isinactive VARCHAR DEFAULT 'F', upccode VARCHAR, baseprice DECIMAL(18,2),
        averagecost DECIMAL(18,4), externalid VARCHAR, lastmodifieddate TIMESTAMP""",
    "itemmember": """
        id BIGINT PRIMARY KEY, parentitem BIGINT NOT NULL, item BIGINT NOT NULL,
        quantity DECIMAL(18,4) NOT NULL""",
    "shipitem": """
        id BIGINT PRIMARY KEY, itemid VARCHAR NOT NULL, displayname VARCHAR, carrier VARCHAR,
        isinactive VARCHAR DEFAULT 'F'""",
    "transaction": """
        id BIGINT PRIMARY KEY, tranid VARCHAR NOT NULL, type VARCHAR NOT NULL,
        recordtype VARCHAR NOT NULL, status VARCHAR NOT NULL, trandate DATE NOT NULL,
        createddate TIMESTAMP NOT NULL, lastmodifieddate TIMESTAMP NOT NULL, entity BIGINT,
        otherrefnum VARCHAR, externalid VARCHAR, memo VARCHAR, currency BIGINT DEFAULT 1,
        exchangerate DECIMAL(18,6) DEFAULT 1, foreigntotal DECIMAL(18,2), total DECIMAL(18,2),
        terms BIGINT, duedate DATE, shipdate DATE, shipmethod BIGINT, shipcarrier VARCHAR,
        subsidiary BIGINT DEFAULT 1, voided VARCHAR DEFAULT 'F', posting VARCHAR DEFAULT 'F',
        source VARCHAR,
        custbody_celigo_etail_order_id VARCHAR, custbody_celigo_etail_channel VARCHAR,
        custbody_celigo_shopify_store VARCHAR,
        custbody_celigo_etail_auto_bill_exp VARCHAR DEFAULT 'F',
        custbody_celigo_etail_fulfill_exported VARCHAR DEFAULT 'F',
        custbody_celigo_etail_order_exported VARCHAR DEFAULT 'F'""",
    "transactionline": """
        transaction BIGINT NOT NULL, id BIGINT NOT NULL, uniquekey BIGINT PRIMARY KEY,
        linesequencenumber INTEGER NOT NULL, mainline VARCHAR NOT NULL,
        taxline VARCHAR DEFAULT 'F', iscogs VARCHAR DEFAULT 'F',
        assemblycomponent VARCHAR DEFAULT 'F', kitmemberof BIGINT, item BIGINT,
        itemtype VARCHAR, quantity DECIMAL(18,4), quantityshiprecv DECIMAL(18,4),
        quantitycommitted DECIMAL(18,4), quantitybackordered DECIMAL(18,4),
        quantitybilled DECIMAL(18,4), isclosed VARCHAR DEFAULT 'F',
        fulfillable VARCHAR DEFAULT 'F', isfullyshipped VARCHAR DEFAULT 'F', location BIGINT,
        rate DECIMAL(18,4), amount DECIMAL(18,2), foreignamount DECIMAL(18,2),
        netamount DECIMAL(18,2), createdfrom BIGINT, entity BIGINT, subsidiary BIGINT DEFAULT 1,
        memo VARCHAR, linelastmodifieddate TIMESTAMP, custcol_celigo_etail_order_line_id VARCHAR""",
    "nexttransactionlinelink": """
        previousdoc BIGINT NOT NULL, previousline BIGINT NOT NULL, previoustype VARCHAR,
        nextdoc BIGINT NOT NULL, nextline BIGINT NOT NULL, nexttype VARCHAR,
        linktype VARCHAR NOT NULL, foreignamount DECIMAL(18,2), lastmodifieddate TIMESTAMP""",
    "previoustransactionlinelink": """
        previousdoc BIGINT NOT NULL, previousline BIGINT NOT NULL, previoustype VARCHAR,
        nextdoc BIGINT NOT NULL, nextline BIGINT NOT NULL, nexttype VARCHAR,
        linktype VARCHAR NOT NULL, foreignamount DECIMAL(18,2), lastmodifieddate TIMESTAMP""",
    "nexttransactionlink": """
        previousdoc BIGINT NOT NULL, nextdoc BIGINT NOT NULL, linktype VARCHAR NOT NULL,
        previoustype VARCHAR, nexttype VARCHAR, lastmodifieddate TIMESTAMP""",
    "trackingnumber": """
        id BIGINT PRIMARY KEY, trackingnumber VARCHAR NOT NULL""",
    "trackingnumbermap": """
        transaction BIGINT NOT NULL, trackingnumber BIGINT NOT NULL""",
    "itemfulfillmentpackage": """
        id BIGINT PRIMARY KEY, itemfulfillment BIGINT NOT NULL, packagetrackingnumber VARCHAR,
        packagedescr VARCHAR, packageweight DECIMAL(18,3)""",
    "inventorynumber": """
        id BIGINT PRIMARY KEY, item BIGINT NOT NULL, inventorynumber VARCHAR NOT NULL,
        expirationdate DATE, quantityonhand DECIMAL(18,4)""",
    "inventorynumberlocation": """
        inventorynumber BIGINT NOT NULL, location BIGINT NOT NULL,
        quantityonhand DECIMAL(18,4), quantityavailable DECIMAL(18,4),
        quantityonorder DECIMAL(18,4), quantityintransit DECIMAL(18,4)""",
    "inventoryassignment": """
        id BIGINT PRIMARY KEY, transaction BIGINT NOT NULL, transactionline BIGINT NOT NULL,
        inventorynumber BIGINT NOT NULL, quantity DECIMAL(18,4), binnumber BIGINT""",
    "inventoryitemlocations": """
        item BIGINT NOT NULL, location BIGINT NOT NULL, quantityonhand DECIMAL(18,4),
        quantityavailable DECIMAL(18,4), quantitycommitted DECIMAL(18,4),
        quantitybackordered DECIMAL(18,4), lastquantityavailablechange TIMESTAMP""",
}

# BUILTIN.DF(<table>.<column>): the table the column points at and the expression (over that
# table, aliased `d`) that NetSuite shows as its display value.
DISPLAY_FIELDS: dict[tuple[str, str], tuple[str, str]] = {
    ("transaction", "entity"): ("customer", "d.altname"),
    ("transaction", "terms"): ("term", "d.name"),
    ("transaction", "shipmethod"): ("shipitem", "d.itemid"),
    ("transaction", "subsidiary"): ("subsidiary", "d.name"),
    ("transactionline", "item"): ("item", "d.itemid"),
    ("transactionline", "location"): ("location", "d.name"),
    ("transactionline", "entity"): ("customer", "d.altname"),
    ("transactionline", "createdfrom"): ("transaction", "d.tranid"),
    ("transactionline", "kitmemberof"): ("item", "d.itemid"),
    ("customer", "terms"): ("term", "d.name"),
    ("customer", "subsidiary"): ("subsidiary", "d.name"),
    ("location", "subsidiary"): ("subsidiary", "d.name"),
    ("inventorynumber", "item"): ("item", "d.itemid"),
    ("inventorynumberlocation", "location"): ("location", "d.name"),
    ("inventorynumberlocation", "inventorynumber"): ("inventorynumber", "d.inventorynumber"),
    ("inventoryassignment", "inventorynumber"): ("inventorynumber", "d.inventorynumber"),
    ("inventoryitemlocations", "item"): ("item", "d.itemid"),
    ("inventoryitemlocations", "location"): ("location", "d.name"),
    ("itemfulfillmentpackage", "itemfulfillment"): ("transaction", "d.tranid"),
    ("nexttransactionlinelink", "previousdoc"): ("transaction", "d.tranid"),
    ("nexttransactionlinelink", "nextdoc"): ("transaction", "d.tranid"),
    ("previoustransactionlinelink", "previousdoc"): ("transaction", "d.tranid"),
    ("previoustransactionlinelink", "nextdoc"): ("transaction", "d.tranid"),
}

# transaction.type code → (record type for the REST record API, label used by BUILTIN.DF).
TRANSACTION_TYPES: dict[str, tuple[str, str]] = {
    "SalesOrd": ("salesorder", "Sales Order"),
    "ItemShip": ("itemfulfillment", "Item Fulfillment"),
    "CashSale": ("cashsale", "Cash Sale"),
    "CustInvc": ("invoice", "Invoice"),
    "CustPymt": ("customerpayment", "Payment"),
    "CustCred": ("creditmemo", "Credit Memo"),
    "CashRfnd": ("cashrefund", "Cash Refund"),
    "RtnAuth": ("returnauthorization", "Return Authorization"),
}

# (type, status letter) → status label; BUILTIN.DF(status) = "<type label> : <status label>",
# BUILTIN.CF(status) = "<type>:<letter>".
STATUS_LABELS: dict[tuple[str, str], str] = {
    ("SalesOrd", "A"): "Pending Approval",
    ("SalesOrd", "B"): "Pending Fulfillment",
    ("SalesOrd", "C"): "Cancelled",
    ("SalesOrd", "D"): "Partially Fulfilled",
    ("SalesOrd", "E"): "Pending Billing / Partially Fulfilled",
    ("SalesOrd", "F"): "Pending Billing",
    ("SalesOrd", "G"): "Billed",
    ("SalesOrd", "H"): "Closed",
    ("ItemShip", "A"): "Picked",
    ("ItemShip", "B"): "Packed",
    ("ItemShip", "C"): "Shipped",
    ("CustInvc", "A"): "Open",
    ("CustInvc", "B"): "Paid In Full",
    ("CustInvc", "V"): "Voided",
    ("CashSale", "A"): "Unapproved Payment",
    ("CashSale", "B"): "Not Deposited",
    ("CashSale", "C"): "Deposited",
    ("CustPymt", "B"): "Not Deposited",
    ("CustPymt", "C"): "Deposited",
    ("CustCred", "A"): "Open",
    ("CustCred", "B"): "Fully Applied",
}


def status_label(trantype: str, letter: str) -> str:
    """`BUILTIN.DF(transaction.status)` for one row, e.g. 'Sales Order : Pending Fulfillment'."""
    kind = TRANSACTION_TYPES.get(trantype, (trantype.lower(), trantype))[1]
    return f"{kind} : {STATUS_LABELS.get((trantype, letter), letter)}"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (empty) and the `transactionstatus` lookup BUILTIN.DF/CF use."""
    for name, columns in TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
    con.execute(
        "CREATE TABLE IF NOT EXISTS transactionstatus ("
        "trantype VARCHAR, id VARCHAR, name VARCHAR, fullname VARCHAR, "
        "PRIMARY KEY (trantype, id))"
    )
    rows = [(t, s, label, status_label(t, s)) for (t, s), label in STATUS_LABELS.items()]
    con.executemany("INSERT OR REPLACE INTO transactionstatus VALUES (?, ?, ?, ?)", rows)
