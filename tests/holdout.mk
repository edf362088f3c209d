# tests/holdout.mk: the held-out mail set (tests/holdout.sh), written blind
# to the rules for an out-of-sample accuracy figure; mismatches are TAP
# TODO.  Every fixture is listed so `make distcheck` ships it.
TESTS += tests/holdout.sh
EXTRA_DIST += tests/holdout.sh $(HOLDOUT_FIXTURES)
HOLDOUT_FIXTURES = \
	tests/fixtures/holdout/README.md \
	tests/fixtures/holdout/01-we-need-kitchen-restock.eml \
	tests/fixtures/holdout/01-we-need-kitchen-restock.json \
	tests/fixtures/holdout/02-could-we-get-tea-and-milk.eml \
	tests/fixtures/holdout/02-could-we-get-tea-and-milk.json \
	tests/fixtures/holdout/03-put-us-down-for.eml \
	tests/fixtures/holdout/03-put-us-down-for.json \
	tests/fixtures/holdout/04-add-muffins-to-order.eml \
	tests/fixtures/holdout/04-add-muffins-to-order.json \
	tests/fixtures/holdout/05-aligned-columns-table.eml \
	tests/fixtures/holdout/05-aligned-columns-table.json \
	tests/fixtures/holdout/06-bullets-quantity-after-dash.eml \
	tests/fixtures/holdout/06-bullets-quantity-after-dash.json \
	tests/fixtures/holdout/07-number-words-half-dozen.eml \
	tests/fixtures/holdout/07-number-words-half-dozen.json \
	tests/fixtures/holdout/08-typos-bxs-esspresso-grean.eml \
	tests/fixtures/holdout/08-typos-bxs-esspresso-grean.json \
	tests/fixtures/holdout/09-2x-abbreviated-syr.eml \
	tests/fixtures/holdout/09-2x-abbreviated-syr.json \
	tests/fixtures/holdout/10-gmail-reply-negated-item.eml \
	tests/fixtures/holdout/10-gmail-reply-negated-item.json \
	tests/fixtures/holdout/11-outlook-german-reply-urspruengliche.eml \
	tests/fixtures/holdout/11-outlook-german-reply-urspruengliche.json \
	tests/fixtures/holdout/12-signature-address-phones.eml \
	tests/fixtures/holdout/12-signature-address-phones.json \
	tests/fixtures/holdout/13-same-again-as-last-week.eml \
	tests/fixtures/holdout/13-same-again-as-last-week.json \
	tests/fixtures/holdout/14-tea-we-had-in-september.eml \
	tests/fixtures/holdout/14-tea-we-had-in-september.json \
	tests/fixtures/holdout/15-syrup-we-tried-in-august.eml \
	tests/fixtures/holdout/15-syrup-we-tried-in-august.json \
	tests/fixtures/holdout/16-unusual-150-croissants.eml \
	tests/fixtures/holdout/16-unusual-150-croissants.json \
	tests/fixtures/holdout/17-unknown-matcha-powder.eml \
	tests/fixtures/holdout/17-unknown-matcha-powder.json \
	tests/fixtures/holdout/18-unknown-sender-personal-address.eml \
	tests/fixtures/holdout/18-unknown-sender-personal-address.json \
	tests/fixtures/holdout/19-question-lead-time-no-order.eml \
	tests/fixtures/holdout/19-question-lead-time-no-order.json \
	tests/fixtures/holdout/20-exchange-out-of-office.eml \
	tests/fixtures/holdout/20-exchange-out-of-office.json \
	tests/fixtures/holdout/21-html-only-bullets-bold.eml \
	tests/fixtures/holdout/21-html-only-bullets-bold.json \
	tests/fixtures/holdout/22-po-and-date-in-sentence.eml \
	tests/fixtures/holdout/22-po-and-date-in-sentence.json \
	tests/fixtures/holdout/23-french-greeting-latin1-qp.eml \
	tests/fixtures/holdout/23-french-greeting-latin1-qp.json \
	tests/fixtures/holdout/24-csv-attachment-sku-description-qty.eml \
	tests/fixtures/holdout/24-csv-attachment-sku-description-qty.json \
	tests/fixtures/holdout/25-outlook365-reply-elliptical-sparkling.eml \
	tests/fixtures/holdout/25-outlook365-reply-elliptical-sparkling.json \
	tests/fixtures/holdout/26-same-again-but-four-bags.eml \
	tests/fixtures/holdout/26-same-again-but-four-bags.json \
	tests/fixtures/holdout/27-terse-no-units-android.eml \
	tests/fixtures/holdout/27-terse-no-units-android.json \
	tests/fixtures/holdout/28-colon-list-deliver-monday.eml \
	tests/fixtures/holdout/28-colon-list-deliver-monday.json \
	tests/fixtures/holdout/29-size-in-name-ampersand-plus.eml \
	tests/fixtures/holdout/29-size-in-name-ampersand-plus.json \
	tests/fixtures/holdout/30-procurement-po-table.eml \
	tests/fixtures/holdout/30-procurement-po-table.json
