// The grid's CSV download: a text cell a spreadsheet would run as a formula (it starts with
// = + - @ TAB or CR, the OWASP rule) gets a leading ' , as pipeline/export.py's csv_safe does.
// Hand-written: AG Grid's export has no such option; dash-ag-grid calls it by name.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.csvSafeCell = function (params) {
    var value = params.value;
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(value)) {
        return "'" + value;
    }
    return value;
};
