// The practice page: the movement picker sets what <fit-rep-counter auto> counts.
const counter = document.querySelector('fit-rep-counter');
const picker = document.getElementById('movement');
picker.addEventListener('change', () => counter.setAttribute('exercise', picker.value));
