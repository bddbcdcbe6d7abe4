"""Finance downloads: any cached dataset, filtered, as CSV or XLSX."""

from suiteops.ui.downloads import downloads_page

downloads_page()
