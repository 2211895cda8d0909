/** Japanese UI text: places in the finder — the search range, how results near a place are ordered, approximate distances (merged into ./ja.ts). */
export const placesJa = {
	'staff.place.coordinatesApproximate': 'いまの緯度・経度は市区町村からのおおよその位置です。正確な位置がわかれば書きかえてください。',
	'search.place': '場所(市区町村・郵便番号)',
	'search.placeHint': '例: 世田谷区、札幌市、〒160-0023',
	'search.radius': 'さがす範囲',
	'search.radius.5': '5km以内',
	'search.radius.10': '10km以内',
	'search.radius.30': '30km以内',
	'search.radius.pref': '同じ都道府県',
	'search.here': 'いまいる場所',
	'search.placeOrder.banded': '{place}の近くから、近さ(2・5・10・30kmまで)ごとに関連が高い順に並べています。',
	'search.placeOrder.distance': '{place}から近い順に並べています。',
	'search.placeOrder.next': '{place}の近くを、開催日が近い順に並べています。',
	'search.placeScope.km': '範囲: {place}のなかと、そこから{km}km以内。',
	'search.placeScope.pref': '範囲: {place}と同じ都道府県。',
	'search.widen': '範囲を広げる',
	'search.suggest.radius': '範囲を{label}に広げる({count}件)',
	'search.distanceApprox': 'おおよその距離 約{km}km',
	'search.unknownPostcode': '郵便番号「{place}」がみつからなかったため、場所を指定せずにさがしました。',
	'search.unknownStation': '駅名での検索にはまだ対応していないため、場所を指定せずにさがしました。「{place}」のある市区町村名か郵便番号で入力してください。',
	'search.sameNamePlaces': '同じ名前の市区町村の近くでさがすこともできます(駅がその市区町村にあるとはかぎりません)。',
	'search.sameNamePlace': '{place}の近くでさがす'
};
